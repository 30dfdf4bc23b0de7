namespace CoSim.Fmi.Tests;
