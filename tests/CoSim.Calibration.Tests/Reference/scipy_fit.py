#!/usr/bin/python3
"""Independent reference for `cosim calibrate`: scipy.optimize.least_squares driving an FMI 2.0
co-simulation FMU through ctypes (no CoSim code). Run with Debian's /usr/bin/python3 (python3-scipy).

    scipy_fit.py CONFIG.json  ->  prints {"x": [...], "cost": c, "nfev": n, "njev": m, "seconds": s, "status": k}

CONFIG: {"fmu": path.fmu, "data": csv (header; first column time [s]), "step": h,
         "outputs": [{"name": "level", "column": "level", "sigma": 0.01}],
         "params": [{"name": "area", "lo": 0.1, "hi": 2, "start": 0.8}],
         "inputs": [{"name": "valve", "column": "valve"}]   (optional: held over each step),
         "xtol": 1e-12, "ftol": 1e-12, "gtol": 1e-12}
Residuals are (simulated - measured) / sigma at every data row, as CoSim's.
"""
import csv
import ctypes as C
import json
import os
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile

import numpy as np
from scipy.optimize import least_squares

t_start = time.perf_counter()
config = json.load(open(sys.argv[1]))

folder = tempfile.mkdtemp(prefix="scipy_fit_")
zipfile.ZipFile(config["fmu"]).extractall(folder)
md = ET.parse(os.path.join(folder, "modelDescription.xml")).getroot()
guid = md.get("guid").encode()
identifier = md.find("CoSimulation").get("modelIdentifier")
vrs = {v.get("name"): int(v.get("valueReference")) for v in md.iter("ScalarVariable")}
lib = C.CDLL(os.path.join(folder, "binaries", "linux64", identifier + ".so"))

LOGGER = C.CFUNCTYPE(None, C.c_void_p, C.c_char_p, C.c_int, C.c_char_p, C.c_char_p)
ALLOC = C.CFUNCTYPE(C.c_void_p, C.c_size_t, C.c_size_t)
FREE = C.CFUNCTYPE(None, C.c_void_p)


class Callbacks(C.Structure):
    _fields_ = [("logger", LOGGER), ("allocateMemory", ALLOC), ("freeMemory", FREE), ("stepFinished", C.c_void_p), ("componentEnvironment", C.c_void_p)]


libc = C.CDLL("libc.so.6")
callbacks = Callbacks(LOGGER(lambda *a: None), C.cast(libc.calloc, ALLOC), C.cast(libc.free, FREE), None, None)
lib.fmi2Instantiate.restype = C.c_void_p
lib.fmi2Instantiate.argtypes = [C.c_char_p, C.c_int, C.c_char_p, C.c_char_p, C.POINTER(Callbacks), C.c_int, C.c_int]
for f in ("fmi2EnterInitializationMode", "fmi2ExitInitializationMode", "fmi2FreeInstance", "fmi2Terminate"):
    getattr(lib, f).argtypes = [C.c_void_p]
lib.fmi2SetupExperiment.argtypes = [C.c_void_p, C.c_int, C.c_double, C.c_double, C.c_int, C.c_double]
lib.fmi2SetReal.argtypes = lib.fmi2GetReal.argtypes = [C.c_void_p, C.POINTER(C.c_uint), C.c_size_t, C.POINTER(C.c_double)]
lib.fmi2DoStep.argtypes = [C.c_void_p, C.c_double, C.c_double, C.c_int]

rows = list(csv.reader(open(config["data"])))
header, body = rows[0], np.array([[float(x) for x in r] for r in rows[1:]])
times = body[:, 0]
h = config["step"]
outputs = config["outputs"]
measured = np.stack([body[:, header.index(o["column"])] for o in outputs])
sigma = np.array([o.get("sigma", 1.0) for o in outputs])[:, None]
out_vr = (C.c_uint * len(outputs))(*[vrs[o["name"]] for o in outputs])
params = config["params"]
par_vr = (C.c_uint * len(params))(*[vrs[p["name"]] for p in params])
inputs = config.get("inputs", [])
in_vr = (C.c_uint * max(1, len(inputs)))(*[vrs[i["name"]] for i in inputs])
in_values = [body[:, header.index(i["column"])] for i in inputs]
n_steps = len(times) - 1
resource = ("file://" + folder + "/resources").encode()


def simulate(x):
    """Outputs at every data time for parameters x (one fresh instance per run, as CoSim)."""
    c = lib.fmi2Instantiate(b"fit", 1, guid, resource, C.byref(callbacks), 0, 0)
    lib.fmi2SetupExperiment(c, 0, 0.0, times[0], 1, times[-1])
    lib.fmi2SetReal(c, par_vr, len(params), (C.c_double * len(params))(*x))
    buf_in = (C.c_double * max(1, len(inputs)))()
    if inputs:
        for k, col in enumerate(in_values):
            buf_in[k] = col[0]
        lib.fmi2SetReal(c, in_vr, len(inputs), buf_in)
    lib.fmi2EnterInitializationMode(c)
    lib.fmi2ExitInitializationMode(c)
    y = np.empty((len(outputs), len(times)))
    buf = (C.c_double * len(outputs))()
    lib.fmi2GetReal(c, out_vr, len(outputs), buf)
    y[:, 0] = buf[:]
    for n in range(n_steps):
        if inputs:
            for k, col in enumerate(in_values):
                buf_in[k] = col[n]
            lib.fmi2SetReal(c, in_vr, len(inputs), buf_in)
        lib.fmi2DoStep(c, times[0] + n * h, h, 1)
        lib.fmi2GetReal(c, out_vr, len(outputs), buf)
        y[:, n + 1] = buf[:]
    lib.fmi2Terminate(c)
    lib.fmi2FreeInstance(c)
    return y


def residuals(x):
    return ((simulate(x) - measured) / sigma).ravel()


fit = least_squares(residuals, [p["start"] for p in params], bounds=([p["lo"] for p in params], [p["hi"] for p in params]),
                    method="trf", x_scale="jac", xtol=config.get("xtol", 1e-12), ftol=config.get("ftol", 1e-12), gtol=config.get("gtol", 1e-12))
print(json.dumps({"x": list(fit.x), "cost": fit.cost, "nfev": fit.nfev, "njev": fit.njev, "status": int(fit.status),
                  "seconds": time.perf_counter() - t_start}))
