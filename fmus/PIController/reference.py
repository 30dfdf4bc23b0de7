#!/usr/bin/env python3
"""Hand-computable reference of the PIController default experiment (python3 stdlib only).

Constant inputs setpoint = 1, measurement = 0.4, so the error is e = 0.6 at every sample.
Sample k at t_k = k*Ts: u_k = clamp(kp*e + ki*I_k, uMin, uMax), I_0 = 0,
I_{k+1} = I_k + Ts*e unless u_k is clamped and e pushes further into the limit (then I is frozen).
Until the limit: u_k = kp*e + ki*Ts*k*e = 0.6 + 0.03 k; u_13 = 0.99, u_14 = 1 (clamped, 1.02).
The output is held between samples, so at communication point t_k the output is u_k.
Writes reference.csv: time, u at t = 0, 0.1, ..., 2.0.
"""
import os

Ts, kp, ki, u_min, u_max, e = 0.1, 1.0, 0.5, -1.0, 1.0, 0.6
rows, integral = [], 0.0
for k in range(21):
    unclamped = kp * e + ki * integral
    u = min(max(unclamped, u_min), u_max)
    if not ((unclamped > u_max and e > 0) or (unclamped < u_min and e < 0)):
        integral += Ts * e
    rows.append((k * Ts, u))

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.csv"), "w") as f:
    f.write("time,u\n")
    for t, u in rows:
        f.write(f"{t:.1f},{u:.15g}\n")
