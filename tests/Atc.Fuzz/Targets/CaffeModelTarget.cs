using Atc.Compiler.Frontends.Caffe.Proto;
using Atc.Fuzz.Mutation;
using Atc.TestModels.Caffe;
using Google.Protobuf;

namespace Atc.Fuzz.Targets;

/// <summary>
/// Caffe (--framework=0): the case is a .caffemodel. A .caffemodel holds every layer with its parameters, so when the
/// bytes parse, the .prototxt is written from them (blobs left out) and field mutations of layer types, bottoms, tops
/// and parameters reach the text reader and the layer converters; when they do not, LeNet's .prototxt goes with them
/// and the binary reader meets the broken bytes. Two in five mutations are byte level, the rest change one field
/// (<see cref="ProtoFieldMutator"/>). The oracle: only coded errors.
/// </summary>
public sealed class CaffeModelTarget : IFuzzTarget
{
    private readonly CompileRunner _runner;
    private readonly string _fallbackPrototxt;
    private readonly List<byte[]> _donors;

    public CaffeModelTarget(CompileRunner runner)
    {
        _runner = runner;
        _fallbackPrototxt = CaffeModels.LeNet().Prototxt;
        Seeds = CaffeModels.All.Select(m => m.Value()).Select(m => new FuzzSeed("caffe-" + m.Name, m.CaffeModelBytes)).ToList();
        _donors = Seeds.Select(s => s.Bytes).ToList();
    }

    public FuzzFormat Format => FuzzFormat.Caffe;
    public string Extension => ".caffemodel";
    public IReadOnlyList<FuzzSeed> Seeds { get; }
    public int PreferredSeedCount => Seeds.Count;

    public byte[] Mutate(byte[] input, Random rng, List<string> log)
    {
        if (rng.Next(5) < 2) return ByteMutator.Mutate(input, _donors, rng, log);
        NetParameter net;
        try
        {
            net = NetParameter.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException)
        {
            return ByteMutator.Mutate(input, _donors, rng, log);
        }
        ProtoFieldMutator.Mutate(net, rng, log);
        return net.ToByteArray();
    }

    public void Execute(byte[] input)
    {
        var weights = _runner.WriteModel("case.caffemodel", input);
        var prototxt = Path.Combine(_runner.WorkDirectory, "case.prototxt");
        File.WriteAllText(prototxt, PrototxtOf(input) ?? _fallbackPrototxt);
        var options = CompileRunner.PreCheck(prototxt, "0");
        options.Set(Atc.Options.AtcOptionNames.Weight, weights);
        _runner.Compile(options);
    }

    /// <summary>The net of a parseable .caffemodel as text, without its blobs; null when the bytes do not parse.</summary>
    private static string? PrototxtOf(byte[] caffemodel)
    {
        try
        {
            var net = NetParameter.Parser.ParseFrom(caffemodel);
            foreach (var layer in net.Layer) layer.Blobs.Clear();
            return PrototxtWriter.Write(net);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    public string? CodeOf(Exception exception) => CompileRunner.CodeOf(exception);
}
