namespace Medley.Host.Demo;

/// <summary>One comparison the demo reports, e.g. "the best merge keeps ≥ 80 % of each fine-tune's accuracy".</summary>
/// <param name="Claim">What is compared.</param>
/// <param name="Holds">Whether it held in this run.</param>
/// <param name="Evidence">The numbers behind it.</param>
public sealed record DemoFinding(string Claim, bool Holds, string Evidence);
