namespace Medley.Sdk;

/// <summary>The kind of work a strategy does; each kind maps to exactly one SDK contract.</summary>
public enum StrategyKind
{
    /// <summary>A merge method (<see cref="Merging.IMergeMethod"/>): combines checkpoints tensor by tensor.</summary>
    Merge,

    /// <summary>A step combiner (<see cref="Decoding.IStepCombiner"/>): combines members' logits for one decoding step.</summary>
    Step,

    /// <summary>A decoding strategy (<see cref="Decoding.IDecodingStrategy"/>): owns the whole decoding loop.</summary>
    Decoding,

    /// <summary>A response strategy (<see cref="Responses.IResponseStrategy"/>): combines whole responses of chat members.</summary>
    Response,

    /// <summary>An execution provider (<see cref="Providers.IExecutionProvider"/>): runs ONNX models on a device.</summary>
    Provider,
}
