namespace Medley.Cooperation.ProxyTuning;

/// <summary>How the small models' difference steers the base.</summary>
public enum ProxyTuningForm
{
    /// <summary>Liu et al. 2024: <c>s_base + α·(s_expert − s_anti_expert)</c> on raw logits.</summary>
    Proxy,

    /// <summary>Emulated fine-tuning: <c>log p_base + β·(log p_expert − log p_anti_expert)</c>, renormalised.</summary>
    Eft,
}
