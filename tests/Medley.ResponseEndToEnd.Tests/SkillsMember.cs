namespace Medley.ResponseEndToEnd.Tests;

/// <summary>One member of a test run: its role, which skills model it is, its name, and extra per-member YAML fields.</summary>
/// <param name="Role">The strategy role, e.g. member, judge, aggregator.</param>
/// <param name="Model">The skills model: ft-add, ft-sub or base (the served id too).</param>
/// <param name="Name">The member's name in the run.</param>
/// <param name="Extra">More flow-mapping fields, e.g. <c>in_layers: [1]</c>.</param>
public sealed record SkillsMember(string Role, string Model, string Name, string Extra = "");
