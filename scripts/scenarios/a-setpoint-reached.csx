// (a) Commissioning: from 0.1 m the loop fills the tank to the 1 m setpoint within 60 s,
// overshoots by less than 5 % and settles into ±2 % within 90 s.
#load "tankloop.csx"

Stop = 200;
Assert.Reaches(tank["level"], 1.0, within: 60, tolerance: 0.02);
Assert.OvershootBelow(tank["level"], 5, target: 1.0, initial: 0.1);
Assert.SettlesWithin(tank["level"], 90, target: 1.0, relativeBand: 0.02);
