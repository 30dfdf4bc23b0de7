#load "common/helpers.csx"
#r "plugins/Gain.dll" // a plugin
#r "nuget: Foo, 1.0"
var s = Scenario.Load("x.ssp");
