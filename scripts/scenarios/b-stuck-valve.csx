// (b) The loop rides through a stuck inflow valve: at t = 100 s the pump's valve sticks at 30 % for 60 s
// while the setpoint stays at 1 m. The level sags while the valve is stuck and overshoots after it frees
// (the integrator winds up meanwhile), but stays within [0.6, 1.4] m and settles back into ±2 % of the
// setpoint within 90 s after the valve is free again.
#load "tankloop.csx"

Stop = 300;
StuckAt(pump["valve"], 0.3).From(100).For(60).Named("inflow valve stuck");
Assert.StaysWithin(tank["level"], 0.6, 1.4, from: 60);
Assert.SettlesWithin(tank["level"], 90, target: 1.0, relativeBand: 0.02, from: 160);
Metric("highest level", tank["level"], Max);
