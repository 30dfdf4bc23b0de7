// Shared by the commissioning scenarios: the TankLoop plant (PI controller -> pump -> tank, from its SSP),
// run with Gauss-Seidel at 0.1 s, recording what the assertions and the README look at.
// Paths are relative to this file: the repository's build/ (scripts/setup builds it).

var loop = Ssp("../../build/examples/TankLoop.ssp");
var tank = loop["Tank"];
var controller = loop["Controller"];
var pump = loop["Pump"];

Algorithm = MasterAlgorithm.GaussSeidel;
Step = 0.1;
Record("Tank.level", "Controller.u", "Pump.flowRate");
