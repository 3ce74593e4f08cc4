using Atc.Runtime.Execution;
using Xunit;

namespace Atc.Runtime.Tests.Execution;

public class DerivedWeightCacheTests
{
    [Fact]
    public void Same_node_and_key_is_filled_once_and_shared()
    {
        var cache = new DerivedWeightCache();
        int fills = 0;
        var gear1 = cache.ForNode(3).GetOrCreate("winograd-u/v1;tile=4", 10, b => { fills++; b.Span.Fill(2f); });
        var gear2 = cache.ForNode(3).GetOrCreate("winograd-u/v1;tile=4", 10, b => { fills++; b.Span.Fill(7f); });
        Assert.Same(gear1, gear2);
        Assert.Equal(1, fills);
        Assert.Equal(2f, gear2.Span[9]);
    }

    [Fact]
    public void Other_node_or_key_gets_its_own_buffer()
    {
        var cache = new DerivedWeightCache();
        var a = cache.GetOrCreate(1, "k", 4, b => b.Span.Fill(1f));
        var b = cache.GetOrCreate(2, "k", 4, b => b.Span.Fill(2f));
        var c = cache.GetOrCreate(1, "k2", 4, b => b.Span.Fill(3f));
        Assert.NotSame(a, b);
        Assert.NotSame(a, c);
        Assert.Equal([1f, 2f, 3f], new[] { a.Span[0], b.Span[0], c.Span[0] });
    }

    [Fact]
    public void Concurrent_gears_fill_once()
    {
        var cache = new DerivedWeightCache();
        int fills = 0;
        var results = new object[16];
        Parallel.For(0, results.Length, i =>
            results[i] = cache.GetOrCreate(0, "k", 1000, b => { Interlocked.Increment(ref fills); Thread.Sleep(20); }));
        Assert.Equal(1, fills);
        Assert.All(results, r => Assert.Same(results[0], r));
    }

    [Fact]
    public void Same_key_with_another_size_is_a_bug_not_a_silent_overrun()
    {
        var cache = new DerivedWeightCache();
        cache.GetOrCreate(0, "k", 8, _ => { });
        Assert.Throws<InvalidOperationException>(() => cache.GetOrCreate(0, "k", 16, _ => { }));
    }
}
