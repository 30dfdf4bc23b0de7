#!/usr/bin/env python3
"""Reference solution of the Tank model for its default experiment (valve constant at 0.5).

Independent of the C code: it evaluates the closed-form solution t(h) of
    A dh/dt = q - k sqrt(h),  q = valve * maxInflow,
which with s = sqrt(h) and s* = q/k (the steady-state sqrt(level)) is
    t(h) = (2A/k) * [ (sqrt(h0) - sqrt(h)) + s* ln((s* - sqrt(h0)) / (s* - sqrt(h))) ],
and inverts it for h at each output time by bisection on s (t(s) is monotonic between s0 and s*).
Writes reference.csv: time, level, outflow every 0.5 s from 0 to 100 s.
"""
import math, os

A, k, q_max, h0, valve = 0.5, 0.05, 0.1, 0.1, 0.5
q = valve * q_max
s0, s_star = math.sqrt(h0), q / k

def t_of_s(s):
    return (2 * A / k) * ((s0 - s) + s_star * math.log((s_star - s0) / (s_star - s)))

def level_at(t):
    if t == 0.0:
        return h0
    lo, hi = s0, s_star  # filling: s0 < s(t) < s*
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if t_of_s(mid) < t:
            lo = mid
        else:
            hi = mid
    s = 0.5 * (lo + hi)
    return s * s

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.csv"), "w") as f:
    f.write("time,level,outflow\n")
    for i in range(201):
        t = 0.5 * i
        h = level_at(t)
        f.write(f"{t:.1f},{h:.15g},{k * math.sqrt(h):.15g}\n")
