// (c) The level sensor fails at t = 120 s (reads 0 m from then on): the level alarm of the LevelMonitor,
// which watches the same sensor as the controller, must rise within 3 s (its debounce is 2 s).
#load "tankloop.csx"

var monitor = Fmu("../../build/fmus/fmi2/LevelMonitor.fmu", "Monitor");
Connect(tank["level"], monitor["level"]);
Record("Monitor.alarm");
Stop = 150;
// A fault on an output changes what every consumer sees (controller and monitor); the true level is still recorded.
StuckAt(tank["level"], 0).From(120).Named("level sensor fails");
Assert.RisesWithinAfter(monitor["alarm"], "level sensor fails", within: 3);
Assert.StaysWithin(monitor["alarm"], 0, 0, to: 119.9).Named("no false alarm before the failure");
