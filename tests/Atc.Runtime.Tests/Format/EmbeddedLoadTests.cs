using Atc.Runtime;
using Atc.Runtime.Format;
using Atc.Tests.Execution;

namespace Atc.Tests.Format;

/// <summary>
/// A manifest resource is read in place and its SHA-256 is not recomputed (the assembly vouches for the bytes), but
/// every structural check still runs: a damaged resource is still a coded error, never a crash.
/// </summary>
public class EmbeddedLoadTests
{
    private static readonly TestOperators Ops = new();

    [Fact]
    public unsafe void An_in_place_resource_skips_only_the_checksum()
    {
        var om = TestOm.Write(TestOm.SmallGraph(), Ops.Resolver, [[1, 4]], [[2, 4]]);
        om[12] ^= 0xFF; // a wrong digest: a file would be rejected ...
        Assert.Throws<OmFormatException>(() => InferenceModel.Load(om, Ops.Resolver));

        var pinned = GC.AllocateArray<byte>(om.Length, pinned: true);
        om.CopyTo(pinned, 0);
        fixed (byte* p = pinned)
        {
            // ... while a resource stream (what GetManifestResourceStream returns) is trusted for its digest.
            using var resource = new UnmanagedMemoryStream(p, pinned.Length);
            var model = InferenceModel.Load(resource, Ops.Resolver, verifyChecksum: false);
            Assert.Equal(2, model.Signature.Gears.Count);
        }
    }

    [Fact]
    public unsafe void A_truncated_resource_is_still_rejected()
    {
        var om = TestOm.Write(TestOm.SmallGraph(), Ops.Resolver, [[1, 4]], [[2, 4]]);
        var cut = GC.AllocateArray<byte>(om.Length - 100, pinned: true);
        om.AsSpan(0, cut.Length).CopyTo(cut);
        fixed (byte* p = cut)
        {
            using var resource = new UnmanagedMemoryStream(p, cut.Length);
            var e = Assert.Throws<OmFormatException>(() => InferenceModel.Load(resource, Ops.Resolver, verifyChecksum: false));
            Assert.Contains("truncated", e.Message);
        }
    }
}
