using Atc.Compiler.Frontends.TensorFlow.Proto;
using Atc.Fuzz.Seeds;
using Atc.Fuzz.Shrinking;
using Google.Protobuf;

namespace Atc.Fuzz.Tests;

public sealed class ShrinkerTests
{
    [Fact]
    public void Ddmin_keeps_only_the_elements_the_failure_needs()
    {
        var items = Enumerable.Range(0, 100).ToList();
        var kept = DeltaDebugger.Minimize(items, list => list.Contains(13) && list.Contains(57), new CheckBudget(10_000));
        Assert.Equal([13, 57], kept);
    }

    [Fact]
    public void Ddmin_stops_at_its_budget_with_a_failing_list()
    {
        var kept = DeltaDebugger.Minimize(Enumerable.Range(0, 1000).ToList(), list => list.Contains(500), new CheckBudget(3));
        Assert.Contains(500, kept);
        Assert.True(kept.Count < 1000);
    }

    [Fact]
    public void A_model_shrinks_to_the_node_that_fails_it()
    {
        var model = ModelSeeds.PreferredTensorFlow[1].Bytes;
        bool Fails(byte[] bytes)
        {
            try { return GraphDef.Parser.ParseFrom(bytes).Node.Any(n => n.Op == "MaxPool"); }
            catch (InvalidProtocolBufferException) { return false; }
        }

        var smallest = model;
        Shrinker.Shrink(model, GraphDef.Parser, Fails, b => smallest = b, maxChecks: 5000);

        Assert.True(Fails(smallest));
        Assert.True(smallest.Length < model.Length / 10, $"{model.Length} -> {smallest.Length} bytes");
    }
}
