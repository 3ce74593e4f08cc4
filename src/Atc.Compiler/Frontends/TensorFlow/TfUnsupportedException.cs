namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>
/// A node the compiler cannot lower: an unknown op, or a known op in a form the runtime lacks (e.g. MirrorPad in
/// SYMMETRIC mode). The importer collects these across the whole graph and reports them together.
/// </summary>
internal sealed class TfUnsupportedException(string what) : Exception(what)
{
    /// <summary>The op type, with the unsupported detail in parentheses: "MirrorPad (mode SYMMETRIC)".</summary>
    public string What { get; } = what;
}

/// <summary>A node reads a value of a node that could not be lowered; it is skipped without a second report.</summary>
internal sealed class TfPoisonedInputException() : Exception("input comes from an unsupported node");
