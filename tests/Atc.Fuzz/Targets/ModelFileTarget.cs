using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Fuzz.Mutation;
using Atc.Fuzz.Seeds;
using Atc.Options;
using Google.Protobuf;
using TfGraphDef = Atc.Compiler.Frontends.TensorFlow.Proto.GraphDef;

namespace Atc.Fuzz.Targets;

/// <summary>
/// .pb (TensorFlow GraphDef) or .onnx: the mutated file is compiled by the real driver in --mode=3. Two in five
/// mutations are byte level; the rest parse the file with the generated protobuf classes, change one field
/// (<see cref="ProtoFieldMutator"/>) and write it back, which keeps the file parseable and reaches the importers'
/// semantic checks, the shape rules and the passes.
/// </summary>
public sealed class ModelFileTarget : IFuzzTarget
{
    private readonly CompileRunner _runner;
    private readonly string _framework;
    private readonly List<byte[]> _donors;

    private ModelFileTarget(FuzzFormat format, IReadOnlyList<FuzzSeed> seeds, int preferred, MessageParser parser, CompileRunner runner)
    {
        Format = format;
        Seeds = seeds;
        PreferredSeedCount = preferred;
        Parser = parser;
        _runner = runner;
        _framework = format == FuzzFormat.Pb ? "3" : "5";
        _donors = seeds.Take(Math.Max(preferred, 8)).Select(s => s.Bytes).ToList();
    }

    public static ModelFileTarget TensorFlow(CompileRunner runner)
        => new(FuzzFormat.Pb, ModelSeeds.TensorFlow(), ModelSeeds.PreferredTensorFlow.Count, TfGraphDef.Parser, runner);

    public static ModelFileTarget Onnx(CompileRunner runner)
        => new(FuzzFormat.Onnx, ModelSeeds.Onnx(), ModelSeeds.PreferredOnnx.Count, ModelProto.Parser, runner);

    public FuzzFormat Format { get; }
    public string Extension => Format == FuzzFormat.Pb ? ".pb" : ".onnx";
    public IReadOnlyList<FuzzSeed> Seeds { get; }
    public int PreferredSeedCount { get; }
    public MessageParser Parser { get; }

    public byte[] Mutate(byte[] input, Random rng, List<string> log)
    {
        if (rng.Next(5) < 2) return ByteMutator.Mutate(input, _donors, rng, log);
        IMessage message;
        try
        {
            message = Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException)
        {
            // An earlier byte mutation broke the framing: stay at byte level.
            return ByteMutator.Mutate(input, _donors, rng, log);
        }
        ProtoFieldMutator.Mutate(message, rng, log);
        return message.ToByteArray();
    }

    public void Execute(byte[] input)
    {
        var path = _runner.WriteModel("case" + Extension, input);
        var options = CompileRunner.PreCheck(path, _framework);
        options.InputShape = CompileRunner.InputShapeFor(Format == FuzzFormat.Pb ? AtcFramework.TensorFlow : AtcFramework.Onnx, input, path);
        _runner.Compile(options);
    }

    public string? CodeOf(Exception exception) => CompileRunner.CodeOf(exception);
}
