namespace CoSim.Results;
