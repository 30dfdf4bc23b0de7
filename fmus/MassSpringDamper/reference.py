#!/usr/bin/env python3
"""Exact reference of the MassSpringDamper default experiment (python3 stdlib only).

The model is linear, dx/dt = A x with x = [x1, v1, x2, v2], so x(t) = expm(A t) x(0).
expm is computed per output time by scaling and squaring (A t / 2^s with norm <= 1/2) and a
30-term Taylor series, in double precision: the result is exact to rounding (~1e-15).
Writes reference.csv: time, x1, v1, x2, v2 every 0.05 s from 0 to 10 s. The split models
MsdMass1 + MsdMass2 use the same parameters, so a coupled run is compared with this file too.
"""
import os

m1, m2, c1, d1, c2, d2 = 1.0, 1.5, 10.0, 0.2, 50.0, 0.5
x0 = [0.0, 0.0, 0.1, 0.0]
A = [[0, 1, 0, 0],
     [-(c1 + c2) / m1, -(d1 + d2) / m1, c2 / m1, d2 / m1],
     [0, 0, 0, 1],
     [c2 / m2, d2 / m2, -c2 / m2, -d2 / m2]]

def matmul(P, Q):
    return [[sum(P[i][k] * Q[k][j] for k in range(4)) for j in range(4)] for i in range(4)]

def expm(M):
    norm = max(sum(abs(v) for v in row) for row in M)
    s = 0
    while norm / 2 ** s > 0.5:
        s += 1
    X = [[v / 2 ** s for v in row] for row in M]
    E = [[float(i == j) for j in range(4)] for i in range(4)]
    term = [row[:] for row in E]
    for n in range(1, 31):
        term = [[v / n for v in row] for row in matmul(term, X)]
        E = [[E[i][j] + term[i][j] for j in range(4)] for i in range(4)]
    for _ in range(s):
        E = matmul(E, E)
    return E

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.csv"), "w") as f:
    f.write("time,x1,v1,x2,v2\n")
    for k in range(201):
        t = 0.05 * k
        E = expm([[a * t for a in row] for row in A])
        x = [sum(E[i][j] * x0[j] for j in range(4)) for i in range(4)]
        f.write(f"{t:.2f}," + ",".join(f"{v:.15g}" for v in x) + "\n")
