namespace Medley.Sdk.Merging;

/// <summary>How a merge method uses the <c>base_model</c> of a merge config.</summary>
public enum BaseModelUse
{
    /// <summary>The method has no notion of a base; a base named in the config is merged as an ordinary input.</summary>
    None,

    /// <summary>The method uses a base when one is given and works without one.</summary>
    Optional,

    /// <summary>The method needs a base (task vectors are taken relative to it); a config without one is an error.</summary>
    Required,
}
