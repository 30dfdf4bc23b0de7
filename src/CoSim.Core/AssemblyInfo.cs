namespace CoSim.Core;
