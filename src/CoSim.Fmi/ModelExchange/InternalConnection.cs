using CoSim.Core;

namespace CoSim.Fmi.ModelExchange;

/// <summary>An output -> input connection between two members of a <see cref="StronglyCoupledGroup"/>, by member and variable index.</summary>
/// <param name="FromMember">Index of the member whose output is read.</param>
/// <param name="FromVariable">The output's variable index in that member.</param>
/// <param name="ToMember">Index of the member whose input is set.</param>
/// <param name="ToVariable">The input's variable index in that member.</param>
/// <param name="Transform">Unit conversion (or other linear map) applied on the way; null: none.</param>
public sealed record InternalConnection(int FromMember, int FromVariable, int ToMember, int ToVariable, LinearTransform? Transform = null);
