#!/usr/bin/env python3
"""Reference of the Pump default experiment (voltage 230 V, valve open, 0..1200 s).

Independent of the C code: the same equations written again in Python and integrated with an
adaptive Dormand-Prince 5(4) method (own implementation, python3 stdlib only) at a relative
tolerance of 1e-11. Output times are hit exactly (steps are shortened to land on them).
Writes reference.csv: time, speed [rpm], current [A], flowRate [l/min], pressure [bar],
motorTemperature [degC] every 4 s.
"""
import math, os

V, valve = 230.0, 1.0
R, kPhi, J, b, c0, c1 = 9.0, 0.68, 0.005, 5e-4, 6e-6, 1.2
a, rPump, rPipe, rValve, minOpening, L = 1.6, 2e10, 5e9, 1.2e10, 0.02, 1e7
Rth, Cth, Tamb, T0 = 1.5, 160.0, 25.0, 25.0

def outputs(x):
    w, q, T = x
    i = (V - kPhi * w) / R
    dp = a * w * w - rPump * q * abs(q)
    return w * 60 / (2 * math.pi), i, q * 60000, dp / 1e5, T

def f(x):
    w, q, T = x
    o = max(min(valve, 1.0), minOpening)
    i = (V - kPhi * w) / R
    dp = a * w * w - rPump * q * abs(q)
    loss = (rPipe + rValve / (o * o)) * q * abs(q)
    return [(kPhi * i - (b * w + c0 * w * w + c1 * w * q)) / J,
            (dp - loss) / L,
            (R * i * i - (T - Tamb) / Rth) / Cth]

# Dormand-Prince 5(4) tableau
C = [0, 1/5, 3/10, 4/5, 8/9, 1, 1]
A = [[], [1/5], [3/40, 9/40], [44/45, -56/15, 32/9],
     [19372/6561, -25360/2187, 64448/6561, -212/729],
     [9017/3168, -355/33, 46732/5247, 49/176, -5103/18656],
     [35/384, 0, 500/1113, 125/192, -2187/6784, 11/84]]
B5 = [35/384, 0, 500/1113, 125/192, -2187/6784, 11/84, 0]
B4 = [5179/57600, 0, 7571/16695, 393/640, -92097/339200, 187/2100, 1/40]
SCALE = [300.0, 0.002, 50.0]  # typical magnitudes for the absolute part of the error norm

def dopri(x, t, t_end, h, rtol=1e-11):
    while t < t_end:
        h = min(h, t_end - t)
        k = []
        for s in range(7):
            xs = [x[j] + h * sum(A[s][r] * k[r][j] for r in range(s)) for j in range(3)]
            k.append(f(xs))
        x5 = [x[j] + h * sum(B5[s] * k[s][j] for s in range(7)) for j in range(3)]
        x4 = [x[j] + h * sum(B4[s] * k[s][j] for s in range(7)) for j in range(3)]
        err = max(abs(x5[j] - x4[j]) / (rtol * (abs(x5[j]) + 1e-3 * SCALE[j])) for j in range(3))
        if err <= 1.0:
            t, x = t + h, x5
        h *= min(5.0, max(0.2, 0.9 * (err if err > 0 else 1e-10) ** -0.2))
    return x, h

x, h = [0.0, 0.0, T0], 1e-6
rows = [(0.0, outputs(x))]
for n in range(1, 301):
    t0, t1 = 4.0 * (n - 1), 4.0 * n
    x, h = dopri(x, t0, t1, h)
    rows.append((t1, outputs(x)))

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.csv"), "w") as out:
    out.write("time,speed,current,flowRate,pressure,motorTemperature\n")
    for t, y in rows:
        out.write(f"{t:.0f}," + ",".join(f"{v:.12g}" for v in y) + "\n")
print("final:", rows[-1])
