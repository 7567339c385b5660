namespace Medley.Cooperation.Contrastive;

/// <summary>Which contrastive score ranks the expert's plausible tokens.</summary>
public enum ContrastiveFormulation
{
    /// <summary>O'Brien &amp; Lewis 2023: <c>(1 + β)·s_expert − β·s_amateur</c> on raw logits.</summary>
    OBrien,

    /// <summary>Li et al. 2023: <c>log p_expert − log p_amateur</c>, the amateur softened by its own temperature.</summary>
    Li,
}
