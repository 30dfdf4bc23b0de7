// (d) A setpoint sweep: four cases, each an independent run (in parallel on the local cores), each must
// reach its setpoint within 90 s; the summary table lists the peak and final level per case.
#load "tankloop.csx"

Stop = 200;
SweepGrid(("Controller.setpoint", new[] { 0.6, 0.8, 1.0, 1.2 }));
var setpoint = Case("Controller.setpoint", 1.0);
Assert.Reaches(tank["level"], setpoint, within: 90, tolerance: 0.02 * setpoint);
Metric("peak level", tank["level"], Max);
Metric("final level", tank["level"], Final);
