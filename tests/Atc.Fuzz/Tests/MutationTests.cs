using Atc.Compiler.Frontends.TensorFlow.Proto;
using Atc.Fuzz.Engine;
using Atc.Fuzz.Mutation;
using Atc.Fuzz.Seeds;
using Atc.Fuzz.Targets;
using Atc.Runtime;
using Google.Protobuf;

namespace Atc.Fuzz.Tests;

public sealed class MutationTests
{
    [Fact]
    public void Field_mutations_keep_the_model_parseable_and_change_it()
    {
        var seed = ModelSeeds.PreferredTensorFlow[0].Bytes;
        int changed = 0;
        for (int i = 0; i < 200; i++)
        {
            var graph = GraphDef.Parser.ParseFrom(seed);
            var log = new List<string>();
            ProtoFieldMutator.Mutate(graph, new Random(i), log);
            var bytes = graph.ToByteArray();
            GraphDef.Parser.ParseFrom(bytes);
            Assert.Single(log);
            if (!bytes.AsSpan().SequenceEqual(seed)) changed++;
        }
        Assert.True(changed > 150, $"only {changed} of 200 mutations changed the model");
    }

    [Fact]
    public void A_case_is_a_function_of_seed_format_and_index()
    {
        var target = FuzzTargets.Create(FuzzFormat.Options, Path.Combine(Path.GetTempPath(), "atc-fuzz-unit-" + Environment.ProcessId));
        var a = FuzzCase.Generate(target, 7, 42);
        var b = FuzzCase.Generate(target, 7, 42);
        Assert.Equal(a.Bytes, b.Bytes);
        Assert.Equal(a.Mutations, b.Mutations);
        Assert.NotEqual(a.Bytes, FuzzCase.Generate(target, 8, 42).Bytes);
    }

    [Fact]
    public void An_om_split_and_joined_again_loads_and_a_byte_change_is_resealed()
    {
        var target = (OmTarget)FuzzTargets.Create(FuzzFormat.Om, Path.Combine(Path.GetTempPath(), "atc-fuzz-unit-om-" + Environment.ProcessId));
        var om = target.Seeds[0].Bytes;
        var joined = OmContainerCodec.Join(OmContainerCodec.Split(om));
        target.Execute(joined);

        var changed = (byte[])om.Clone();
        changed[^1] ^= 0xFF;
        var error = Assert.Throws<Atc.Runtime.Format.OmFormatException>(() => InferenceModel.Load(changed));
        Assert.Contains("checksum", error.Message);
        var resealed = OmContainerCodec.Reseal(changed);
        var outcome = Oracle.CaseOracle.Judge(target, resealed);
        Assert.DoesNotContain("checksum", outcome.Detail);
    }
}
