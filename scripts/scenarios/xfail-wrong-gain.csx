// (e) A failed commissioning, on purpose: the integral gain was entered as 5 instead of 0.5 (a slipped
// decimal point). The same requirements as (a) then fail: the level overshoots and does not settle.
// scripts/demo expects every scenario named xfail-* to fail and every other one to pass.
#load "tankloop.csx"

Stop = 200;
Set(controller["ki"], 5);
Assert.Reaches(tank["level"], 1.0, within: 60, tolerance: 0.02);
Assert.OvershootBelow(tank["level"], 5, target: 1.0, initial: 0.1);
Assert.SettlesWithin(tank["level"], 90, target: 1.0, relativeBand: 0.02);
