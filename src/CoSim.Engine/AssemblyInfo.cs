namespace CoSim.Engine;
