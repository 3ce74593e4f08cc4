using Atc.Compiler.Driver;
using Atc.Compiler.Emit;
using Atc.Compiler.Ir;
using Atc.Compiler.Shapes;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.IO;
using Atc.Options.Rules;
using Atc.Runtime;

namespace Atc.Compiler.SingleOp;

/// <summary>
/// --singleop: every op of the description becomes a one-node graph (its input_desc tensors the model's inputs, or
/// constants with is_const; its output_desc the output), compiled to its own .om in the --output folder
/// (<see cref="SingleOpFileNames"/>). float16 tensors are float16 inputs and outputs with the op computing in
/// float32 between Casts, as for --input_fp16_nodes. The output description must be what the op computes.
/// --mode=3 compiles every op and writes nothing. All problems of all ops are reported together.
/// </summary>
internal sealed class SingleOpCompiler(CompilerServices services)
{
    public IReadOnlyList<string> Compile(AtcCommand command, string descriptionPath, CompilerLog log)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(descriptionPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AtcException(AtcErrors.ReadFailed(descriptionPath, AtcOptionNames.SingleOp, e.Message.TrimEnd('.')));
        }
        var diagnostics = new List<AtcDiagnostic>();
        var ops = SingleOpReader.Read(descriptionPath, bytes, diagnostics);
        var compiled = new List<(string File, byte[] Bytes)>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var positions = ops.Count > 0 ? SingleOpReader.PositionsOf(bytes) : null;
        foreach (var op in ops)
        {
            void Fail(string path, string reason, string fix)
            {
                var (line, column) = positions!.At(path);
                diagnostics.Add(AtcErrors.SingleOpDescInvalid(op.Index, op.OpType, descriptionPath, line, column, reason, fix));
            }
            string fileName = SingleOpFileNames.Of(op);
            if (names.TryGetValue(fileName, out int first))
            {
                Fail(op.Path + (op.FileName is null ? "" : ".name"), "its model file " + fileName + " is also op " + first + "'s", "Give the ops different \"name\" values.");
                continue;
            }
            names[fileName] = op.Index;
            var bytesOfOp = CompileOne(op, command, descriptionPath, positions!, Fail, diagnostics, log);
            if (bytesOfOp is not null) compiled.Add((fileName, bytesOfOp));
        }
        if (diagnostics.Count > 0) throw new AtcException(diagnostics);

        if (command.Mode != AtcMode.Convert) return [.. compiled.Select(c => c.File)];
        var folder = command.Raw.Get(AtcOptionNames.Output)!.Trim();
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new AtcException(AtcErrors.InvalidValue(AtcOptionNames.Output, folder, "the folder cannot be created (" + e.Message.TrimEnd('.') + ")",
                "Name a folder you can write to, e.g. --output=./op_models."));
        }
        var written = new List<string>();
        foreach (var (file, om) in compiled)
        {
            var path = Path.Combine(folder, file);
            AtomicFile.WriteAllBytes(path, om, AtcOptionNames.Output);
            log.Info("Wrote [" + path + "]");
            written.Add(path);
        }
        return written;
    }

    private byte[]? CompileOne(SingleOpDescription op, AtcCommand command, string file, JsonPositions positions, Action<string, string, string> fail,
        List<AtcDiagnostic> diagnostics, CompilerLog log)
    {
        if (SingleOpTable.Find(op.OpType) is not { } entry)
        {
            var closest = NameSuggestions.Closest(op.OpType, SingleOpTable.Names);
            var at = positions.At(op.Path + ".op");
            diagnostics.Add(AtcErrors.SingleOpUnknownOp(op.Index, file, at.Line, at.Column, op.OpType, closest, SingleOpTable.Names));
            return null;
        }
        if (op.Inputs.Count < entry.MinInputs || op.Inputs.Count > entry.MaxInputs)
        {
            fail(op.Path + ".input_desc", op.OpType + " takes " + (entry.MinInputs == entry.MaxInputs ? entry.MinInputs.ToString() : entry.MinInputs + " to " + entry.MaxInputs)
                + " inputs; input_desc has " + op.Inputs.Count, "Describe each of the op's inputs once, in order.");
            return null;
        }
        if (op.Outputs.Count != 1)
        {
            fail(op.Path + ".output_desc", op.OpType + " has one output; output_desc has " + op.Outputs.Count, "Describe the one output.");
            return null;
        }
        var reader = new SingleOpAttributeReader(op.Attributes);
        var lowered = entry.Lower(op, reader);
        foreach (var unknown in reader.Unread)
            reader.Problems.Add((unknown.Path + ".name", "[" + unknown.Name + "] is not an attribute of " + op.OpType + " here"));
        if (reader.Problems.Count > 0 || lowered is null)
        {
            foreach (var (path, reason) in reader.Problems) fail(path, reason, "Fix or remove the attribute (docs/atc-options.md lists each op's attributes).");
            return null;
        }
        bool isCast = lowered.Value.OpType == Atc.Runtime.Operators.OpTypes.Cast;
        var graph = BuildGraph(op, lowered.Value.OpType, lowered.Value.Attributes, isCast, fail);
        if (graph is null) return null;

        var shapes = graph.Inputs.ToDictionary(v => v.Name, v => v.Shape!.Select(d => (int)d).ToArray(), StringComparer.Ordinal);
        var emitOptions = new EmitOptions(Path.GetFileNameWithoutExtension(SingleOpFileNames.Of(op)), command.SocVersion ?? "", "singleop");
        CompiledModel compiled;
        try
        {
            compiled = services.Emit(graph, GearSet.Static(new Gear(shapes, [])), emitOptions);
        }
        catch (AtcException e)
        {
            fail(op.Path, string.Join("; ", e.Diagnostics.Select(d => d.Message.TrimEnd('.'))), "Check the input shapes and attributes against the op's rules.");
            return null;
        }
        var output = compiled.Signature.Outputs[0];
        var described = op.Outputs[0];
        if (!output.Dims.SequenceEqual(described.Shape.Select(d => (long)d)) || output.Type != described.Type)
        {
            fail(described.Path, "the output is described as " + described.TypeName + " " + Atc.Runtime.Core.Shape.Format(described.Shape) + ", but " + op.OpType
                + " computes " + output.Type.Name() + " " + Atc.Runtime.Core.Shape.Format(output.Dims.ToArray()) + " from these inputs",
                "Describe the output as the op computes it (or fix the inputs).");
            return null;
        }
        log.Info("Single op " + op.Index + " " + op.OpType + ": " + compiled.OmBytes.Length + " bytes");
        return compiled.OmBytes;
    }

    /// <summary>The one-node graph: inputs (or constants), the node, float16 boundaries as Casts; null after a problem.</summary>
    private static Graph? BuildGraph(SingleOpDescription op, string opType, Atc.Runtime.Core.OpAttributes attributes, bool isCast, Action<string, string, string> fail)
    {
        var graph = new Graph { Name = op.OpType, SourceFramework = "singleop" };
        var inputs = new List<Value>();
        var fp16Inputs = new List<Value>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < op.Inputs.Count; i++)
        {
            var desc = op.Inputs[i];
            string name = desc.Name is { Length: > 0 } n && used.Add(n) ? n : UniqueName("x" + i, used);
            // float16 is a storage type here: the op computes in float32 (a Cast sits at each float16 boundary).
            var computeType = desc.Type == DataType.Float16 && !isCast ? DataType.Float32 : desc.Type;
            if (desc.ConstValue is { } constant)
            {
                if (computeType != DataType.Float32)
                {
                    fail(desc.Path + ".is_const", "a constant of type " + desc.TypeName + (isCast ? " as Cast's input" : "") + " is not supported (float, and float16 for ops that compute in float)", "Make the tensor an input (leave \"is_const\" out).");
                    return null;
                }
                inputs.Add(Value.FromConstant(name, TensorData.Float(desc.Shape, constant)));
                continue;
            }
            var value = new Value(name, computeType, desc.Shape.Select(d => (long)d).ToArray());
            graph.Inputs.Add(value);
            if (desc.Format is "NCHW" or "NHWC") graph.InputFormats[name] = desc.Format == "NCHW" ? TensorFormat.NCHW : TensorFormat.NHWC;
            if (computeType != desc.Type) fp16Inputs.Add(value);
            inputs.Add(value);
        }
        var outputDesc = op.Outputs[0];
        var node = graph.AddNode(new Node(op.OpType + "_" + op.Index, opType, inputs, attributes, op.OpType));
        var outputType = isCast ? outputDesc.Type : outputDesc.Type == DataType.Float16 ? DataType.Float32 : outputDesc.Type;
        graph.Outputs.Add(node.AddOutput(outputDesc.Name is { Length: > 0 } o && used.Add(o) ? o : UniqueName("y", used), outputType));
        foreach (var input in fp16Inputs) BoundaryCasts.CastInput(graph, input, DataType.Float16);
        if (outputType != outputDesc.Type) BoundaryCasts.CastOutput(graph, 0, outputDesc.Type);
        return graph;
    }

    private static string UniqueName(string wanted, HashSet<string> used)
    {
        string name = wanted;
        for (int k = 1; !used.Add(name); k++) name = wanted + "_" + k;
        return name;
    }
}
