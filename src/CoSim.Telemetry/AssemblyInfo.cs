namespace CoSim.Telemetry;
