using Atc.Runtime;

namespace Atc.Tests.Execution;

/// <summary>Random float graphs over one input x:[B,8], with a reference evaluator.</summary>
internal static class RandomGraph
{
    private enum Kind { Full, Flat, Row, Half }

    private sealed record Item(int Id, Kind Kind, Func<float[], int, float[]> Eval);

    public static (Atc.Runtime.Execution.ModelGraph Graph, Func<float[], int, float[][]> Evaluate) Create(Random random)
    {
        var b = new GraphBuilder();
        var items = new List<Item>();
        int x = b.Input("x");
        items.Add(new Item(x, Kind.Full, (input, _) => input));
        var row = Enumerable.Range(0, 8).Select(_ => (float)random.Next(-9, 9)).ToArray();
        items.Add(new Item(b.Constant("row", TensorData.Float([8], row)), Kind.Row, (_, _) => row));
        int flatShape = b.Constant("to_flat", TensorData.Int64([1], -1));
        int fullShape = b.Constant("to_full", TensorData.Int64([2], -1, 8));

        int nodes = random.Next(3, 25);
        for (int i = 0; i < nodes; i++)
        {
            var a = items[random.Next(items.Count)];
            switch (random.Next(6))
            {
                case 0:
                    items.Add(new Item(b.Node("Identity", a.Id), a.Kind, a.Eval));
                    break;
                case 1:
                {
                    var partners = items.Where(o => o.Kind == a.Kind || a.Kind == Kind.Full && o.Kind == Kind.Row).ToList();
                    var p = partners[random.Next(partners.Count)];
                    items.Add(new Item(b.Node("Add", a.Id, p.Id), a.Kind, (input, batch) => AddRows(a.Eval(input, batch), p.Eval(input, batch))));
                    break;
                }
                case 2 when a.Kind == Kind.Full:
                    items.Add(new Item(b.Node("Reshape", a.Id, flatShape), Kind.Flat, a.Eval));
                    break;
                case 3 when a.Kind == Kind.Flat:
                    items.Add(new Item(b.Node("Reshape", a.Id, fullShape), Kind.Full, a.Eval));
                    break;
                case 4 when a.Kind != Kind.Row:
                    items.Add(new Item(b.Node("Double", a.Id), a.Kind, (input, batch) => [.. a.Eval(input, batch).Select(v => v * 2)]));
                    break;
                case 5 when a.Kind == Kind.Full:
                {
                    var halves = b.Nodes("Split2", 2, null, a.Id);
                    items.Add(new Item(halves[0], Kind.Half, (input, batch) => a.Eval(input, batch)[..(batch * 4)]));
                    items.Add(new Item(halves[1], Kind.Half, (input, batch) => a.Eval(input, batch)[(batch * 4)..]));
                    break;
                }
            }
        }

        int outputCount = random.Next(1, 4);
        var outputs = new List<Item>();
        for (int k = 0; k < outputCount; k++)
        {
            // Prefer recent values, sometimes an input or a constant.
            var o = random.Next(4) == 0 ? items[random.Next(items.Count)] : items[Math.Max(0, items.Count - 1 - random.Next(3))];
            if (outputs.Contains(o)) continue;   // output names are unique
            outputs.Add(o);
            b.Output(o.Id);
        }
        return (b.Build(), (input, batch) => [.. outputs.Select(o => o.Eval(input, batch))]);
    }

    /// <summary>a + b where b has a's length or is one row of 8 repeated.</summary>
    private static float[] AddRows(float[] a, float[] b) => [.. a.Select((v, i) => v + b[i % b.Length])];
}
