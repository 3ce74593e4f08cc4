namespace Atc.Compiler.Tooling;

/// <summary>An input of the original model as declared: -1 (or a symbolic name) for a dynamic axis; Dims null for unknown rank.</summary>
public sealed record SourceInput(string Name, string DataType, IReadOnlyList<string>? Dims);

/// <summary>One node of the original model: its framework op type, inputs and attributes (rendered as JSON values).</summary>
public sealed record SourceNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<KeyValuePair<string, string>> AttributesJson, bool Supported);

/// <summary>
/// The original model as the framework file declares it, before lowering and before any shape option: what
/// `--mode=1` on a source model dumps and what `--check_report` lists.
/// </summary>
public sealed record SourceModel(string Framework, string Name, IReadOnlyList<SourceInput> Inputs, IReadOnlyList<SourceNode> Nodes, IReadOnlyList<string> Outputs);
