using Atc.Runtime.Operators;

namespace Atc.Tests.Operators;

/// <summary>The operator catalog constructs an operator on its first use only, once, from any number of threads.</summary>
public class LazyOperatorTableTests
{
    private sealed class NamedOperator(string opType) : IOperator
    {
        public string OpType { get; } = opType;
        public TensorType[] InferOutputs(OpContext context) => throw new NotSupportedException();
        public IKernel CreateKernel(OpContext context, TensorType[] outputs) => throw new NotSupportedException();
    }

    /// <summary>Entries whose factories count how often each op type was constructed.</summary>
    private sealed class CountingCatalog
    {
        public Dictionary<string, int> Constructed { get; } = new(StringComparer.Ordinal);

        public OperatorEntry Entry(string opType, string? constructs = null) => new(opType, t =>
        {
            lock (Constructed) Constructed[t] = Constructed.GetValueOrDefault(t) + 1;
            return new NamedOperator(constructs ?? t);
        });
    }

    [Fact]
    public void IsSupportedAndOpTypesConstructNothing()
    {
        var catalog = new CountingCatalog();
        var table = new LazyOperatorTable([catalog.Entry("Add"), catalog.Entry("Conv")]);

        Assert.True(table.IsSupported("Add"));
        Assert.False(table.IsSupported("NoSuchOp"));
        Assert.Equal(["Add", "Conv"], table.OpTypes.Order(StringComparer.Ordinal));
        Assert.False(table.TryGet("NoSuchOp", out _));
        Assert.Empty(catalog.Constructed);
    }

    [Fact]
    public void AnOperatorIsConstructedOnItsFirstUseOnlyAndShared()
    {
        var catalog = new CountingCatalog();
        var table = new LazyOperatorTable([catalog.Entry("Add"), catalog.Entry("Conv")]);

        Assert.True(table.TryGet("Conv", out var first));
        Assert.True(table.TryGet("Conv", out var second));

        Assert.Same(first, second);
        Assert.Equal("Conv", first.OpType);
        Assert.Equal(new Dictionary<string, int> { ["Conv"] = 1 }, catalog.Constructed);
    }

    [Fact]
    public void ThreadsRacingOnTheFirstUseAllGetTheSameOperator()
    {
        var table = new LazyOperatorTable([new CountingCatalog().Entry("Add")]);
        const int threads = 8;
        var seen = new IOperator[threads];
        using var start = new Barrier(threads);

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            start.SignalAndWait();
            Assert.True(table.TryGet("Add", out seen[i]));
        });

        Assert.All(seen, op => Assert.Same(seen[0], op));
    }

    [Fact]
    public void AnEntryThatBuildsAnotherOpTypesOperatorIsRefused()
    {
        var table = new LazyOperatorTable([new CountingCatalog().Entry("Add", constructs: "Sub")]);

        var error = Assert.Throws<InvalidOperationException>(() => table.TryGet("Add", out _));

        Assert.Contains("'Add'", error.Message);
        Assert.Contains("'Sub'", error.Message);
    }

    [Fact]
    public void AnOpTypeListedTwiceIsRefused()
    {
        var catalog = new CountingCatalog();

        var error = Assert.Throws<InvalidOperationException>(() => new LazyOperatorTable([catalog.Entry("Add"), catalog.Entry("Add")]));

        Assert.Contains("'Add'", error.Message);
    }

    [Fact]
    public void TheRuntimesCatalogListsEachOpTypeOnceAndEveryFactoryBuildsItsOwnOpType()
    {
        var entries = OperatorCatalog.Entries().ToList();

        Assert.Equal(entries.Count, entries.Select(e => e.OpType).Distinct(StringComparer.Ordinal).Count());
        Assert.All(entries, e => Assert.Equal(e.OpType, e.Create(e.OpType).OpType));
        Assert.Equal(entries.Select(e => e.OpType).Order(StringComparer.Ordinal), OperatorRegistry.SupportedOpTypes);
    }
}
