#!/usr/bin/env python3
"""Analytic reference of the BouncingBall default experiment (python3 stdlib only, no C code).

Free flight is a parabola, so the motion is known exactly from the impact times:
    t1 = (v0 + sqrt(v0^2 + 2 g h0)) / g,   impact speed w0 = sqrt(v0^2 + 2 g h0)
    after impact k (k = 1, 2, ...) the ball leaves the ground with w_k = e^k w0 and lands again at
    t_{k+1} = t_k + 2 w_k / g;  it rests from the first impact whose rebound speed w_k < vMin.
Writes reference.csv: time, h, v every 0.01 s from 0 to 3 s.
"""
import math, os

g, e, h0, v0, v_min = 9.81, 0.7, 1.0, 0.0, 0.01
w0 = math.sqrt(v0 * v0 + 2 * g * h0)
t1 = (v0 + w0) / g

# (start time, start height, start velocity) of each flight; then the rest time
flights = [(0.0, h0, v0)]
t, w, rest_time = t1, w0, None
while True:
    w *= e
    if w < v_min:
        rest_time = t
        break
    flights.append((t, 0.0, w))
    t += 2 * w / g

def state(time):
    if time >= rest_time:
        return 0.0, 0.0
    ts, hs, vs = [f for f in flights if f[0] <= time][-1]
    dt = time - ts
    return hs + vs * dt - 0.5 * g * dt * dt, vs - g * dt

if __name__ == "__main__":
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.csv"), "w") as f:
        f.write("time,h,v\n")
        for i in range(301):
            time = i / 100
            h, v = state(time)
            f.write(f"{time:.2f},{h:.15g},{v:.15g}\n")
    print(f"first impacts: {[round(fl[0], 12) for fl in flights[1:4]]}, resting from t={rest_time:.12f} "
          f"after {len(flights)} impacts")
