using CoSim.Cli;

return CliApp.Invoke(args);
