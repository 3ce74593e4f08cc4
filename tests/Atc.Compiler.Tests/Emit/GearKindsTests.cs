using Atc.Compiler.Emit;
using Atc.Options;
using Atc.Runtime;

namespace Atc.Compiler.Tests.Emit;

public class GearKindsTests
{
    [Fact]
    public void Every_shared_kind_maps_to_a_distinct_runtime_kind_and_back()
    {
        var seen = new HashSet<ModelGearKind>();
        foreach (var kind in Enum.GetValues<GearKind>())
        {
            var model = GearKinds.ToModel(kind);
            Assert.True(seen.Add(model), $"{kind} shares runtime kind {model}");
            Assert.Equal(kind, GearKinds.FromModel(model));
            Assert.Equal(kind.ToString(), model.ToString());
        }
        Assert.Equal(Enum.GetValues<ModelGearKind>().Length, seen.Count);
    }
}
