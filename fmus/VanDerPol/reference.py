#!/usr/bin/python3
"""Reference of the VanDerPol default experiment: scipy's solve_ivp (DOP853, rtol = atol = 1e-12).

Writes reference.csv: time, x0, x1 every 0.05 s from 0 to 20 s (Debian's python3-scipy: /usr/bin/python3).
"""
import os
import numpy as np
from scipy.integrate import solve_ivp

mu = 1.0
times = np.linspace(0.0, 20.0, 401)
sol = solve_ivp(lambda t, x: [x[1], mu * (1 - x[0] ** 2) * x[1] - x[0]], (0.0, 20.0), [2.0, 0.0],
                method="DOP853", rtol=1e-12, atol=1e-12, t_eval=times)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.csv"), "w") as f:
    f.write("time,x0,x1\n")
    for t, a, b in zip(sol.t, sol.y[0], sol.y[1]):
        f.write(f"{t:.2f},{a:.15g},{b:.15g}\n")
