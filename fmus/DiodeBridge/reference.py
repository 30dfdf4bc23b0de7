#!/usr/bin/env python3
"""Exact piecewise reference of the DiodeBridge default experiment (python3 stdlib only).

Between switchings the circuit is linear with one state, so every piece has a closed form:
  blocking:            vC(t) = vC(t0) exp(-(t - t0)/(RL C))
  pair s conducting:   dvC/dt = -a vC + b s V sin(w t),  a = 1/(Rs C) + 1/(RL C), b = 1/(Rs C)
                       vC(t) = p(t) + (vC(t0) - p(t0)) exp(-a (t - t0)),
                       p(t) = s b V (a sin(w t) - w cos(w t)) / (a^2 + w^2)
(s = +1: D1, D4 for the positive half wave; s = -1: D2, D3). A blocking pair starts to conduct when
s vS - vC becomes > 0; a conducting pair stops when its current (s vS - vC)/Rs becomes <= 0. The
switching instants are bracketed on a 1e-6 s grid of the closed form and bisected to rounding.
At t = 0, vS = vC = 0 and vS rises, so D1, D4 conduct from t = 0+.
Writes reference.csv: time, vC, iOut, iS every 1e-4 s from 0 to 0.2 s, and prints the switchings.
"""
import math
import os

V, f, Rs, C, RL, vC0 = 10.0, 50.0, 1.0, 1e-3, 100.0, 0.0
T_END, DT_OUT, DT_SCAN = 0.2, 1e-4, 1e-6
w = 2 * math.pi * f
a, b = 1 / (Rs * C) + 1 / (RL * C), 1 / (Rs * C)


def vs(t):
    return V * math.sin(w * t)


def p(s, t):
    return s * b * V * (a * math.sin(w * t) - w * math.cos(w * t)) / (a * a + w * w)


def vc(mode, t0, v0, t):
    """Capacitor voltage at t in a piece that started at (t0, v0); mode 0 = blocking, +1 / -1 = pair."""
    if mode == 0:
        return v0 * math.exp(-(t - t0) / (RL * C))
    return p(mode, t) + (v0 - p(mode, t0)) * math.exp(-a * (t - t0))


def switch_condition(mode, t0, v0, t):
    """True once the piece must end: a blocking pair gets forward voltage > 0, or the conducting pair's current <= 0."""
    v = vc(mode, t0, v0, t)
    if mode == 0:
        return vs(t) - v > 0 or -vs(t) - v > 0
    return mode * vs(t) - v <= 0


def next_mode(t, v):
    if vs(t) - v > 0:
        return 1
    if -vs(t) - v > 0:
        return -1
    return 0


def pieces():
    """Yields (t0, t1, mode, v0) pieces up to T_END."""
    t0, v0, mode = 0.0, vC0, 1  # D1, D4 conduct from t = 0+
    while t0 < T_END:
        t = t0
        end = None
        while t < T_END:
            tn = min(t + DT_SCAN, T_END)
            if switch_condition(mode, t0, v0, tn):
                lo, hi = t, tn
                while True:
                    mid = 0.5 * (lo + hi)
                    if mid <= lo or mid >= hi:
                        break
                    if switch_condition(mode, t0, v0, mid):
                        hi = mid
                    else:
                        lo = mid
                end = hi
                break
            t = tn
        if end is None:
            yield t0, T_END, mode, v0
            return
        yield t0, end, mode, v0
        v1 = vc(mode, t0, v0, end)
        t0, v0, mode = end, v1, next_mode(end, v1)


def main():
    table = list(pieces())
    for t0, t1, mode, v0 in table:
        print(f"{t0:.12f} .. {t1:.12f}  {('blocking', 'D1,D4', 'D2,D3')[mode]:8s}  vC0={v0:.9f}")
    print(f"{len(table) - 1} switchings of a pair in [0, {T_END}] s")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "reference.csv"), "w") as out:
        out.write("time,vC,iOut,iS\n")
        k = 0
        for i in range(round(T_END / DT_OUT) + 1):
            t = i * DT_OUT
            while k + 1 < len(table) and table[k][1] <= t:
                k += 1
            t0, _, mode, v0 = table[k]
            v = vc(mode, t0, v0, t)
            i_out = 0.0 if mode == 0 else (mode * vs(t) - v) / Rs
            out.write(f"{t:.4f},{v:.15g},{i_out:.15g},{mode * i_out:.15g}\n")


main()
