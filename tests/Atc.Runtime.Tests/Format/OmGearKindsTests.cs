using Atc.Runtime.Format;
using ProtoGearKind = Atc.Runtime.Format.Proto.GearKind;

namespace Atc.Runtime.Tests.Format;

public class OmGearKindsTests
{
    [Fact]
    public void Every_public_kind_maps_to_a_wire_kind_and_back()
    {
        var seen = new HashSet<ProtoGearKind>();
        foreach (var kind in Enum.GetValues<ModelGearKind>())
        {
            var wire = OmGearKinds.ToProto(kind);
            Assert.True(seen.Add(wire), $"{kind} shares wire value {wire}");
            Assert.Equal(kind, OmGearKinds.FromProto(wire));
        }
        Assert.Equal(Enum.GetValues<ProtoGearKind>().Length, seen.Count);
    }

    [Fact]
    public void The_wire_numbers_are_the_file_format()
    {
        Assert.Equal(0, (int)OmGearKinds.ToProto(ModelGearKind.Static));
        Assert.Equal(1, (int)OmGearKinds.ToProto(ModelGearKind.Batch));
        Assert.Equal(2, (int)OmGearKinds.ToProto(ModelGearKind.ImageSize));
        Assert.Equal(3, (int)OmGearKinds.ToProto(ModelGearKind.Dims));
        Assert.Equal(4, (int)OmGearKinds.ToProto(ModelGearKind.Range));
    }

    [Fact]
    public void An_unknown_wire_kind_is_an_invalid_file()
    {
        var e = Assert.Throws<OmFormatException>(() => OmGearKinds.FromProto((ProtoGearKind)9));
        Assert.Contains("gear kind 9", e.Detail);
    }
}
