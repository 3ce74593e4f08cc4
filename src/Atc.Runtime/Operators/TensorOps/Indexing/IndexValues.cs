using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.TensorOps.Indexing;

/// <summary>Reads run-time index tensors (int32 or int64) and resolves negative indices against an axis size.</summary>
internal static unsafe class IndexValues
{
    public static long Read(void* indices, bool int64, long i) => int64 ? ((long*)indices)[i] : ((int*)indices)[i];

    /// <summary>The index counted from the start; a value outside [-size, size) is a data error of the call.</summary>
    public static long Resolve(string opType, long index, long size)
    {
        if (index < -size || index >= size)
            throw new InferenceInputException($"{opType}: the indices hold {index}, outside [{-size}, {size}) for an axis of size {size}; pass indices that address existing elements");
        return index < 0 ? index + size : index;
    }

    /// <summary>Checks constant indices at compile time so a bad model fails with a shape error, not at run time.</summary>
    public static void CheckConstant(TensorData? indices, long size, Func<string, ShapeException> error, string where)
    {
        if (indices is null) return;
        foreach (long i in indices.ToInt64Array())
            if (i < -size || i >= size) throw error($"index {i} is out of range for {where} of size {size}");
    }
}

/// <summary>How a scatter writes an update into the output: replace, or reduce with the value already there.</summary>
internal interface IScatterCombine<T> where T : unmanaged
{
    static abstract T Combine(T current, T update);
}

internal readonly struct AssignCombine<T> : IScatterCombine<T> where T : unmanaged
{
    public static T Combine(T current, T update) => update;
}

internal readonly struct AddCombine<T> : IScatterCombine<T> where T : unmanaged, System.Numerics.INumber<T>
{
    public static T Combine(T current, T update) => current + update;
}

internal readonly struct MulCombine<T> : IScatterCombine<T> where T : unmanaged, System.Numerics.INumber<T>
{
    public static T Combine(T current, T update) => current * update;
}

internal readonly struct MaxCombine<T> : IScatterCombine<T> where T : unmanaged, System.Numerics.INumber<T>
{
    public static T Combine(T current, T update) => T.Max(current, update);
}

internal readonly struct MinCombine<T> : IScatterCombine<T> where T : unmanaged, System.Numerics.INumber<T>
{
    public static T Combine(T current, T update) => T.Min(current, update);
}

/// <summary>Builds a scatter kernel for a combine rule; <see cref="ScatterKernels"/> picks the rule from "reduction".</summary>
internal interface IScatterKernelFactory
{
    IKernel Create<T, TCombine>() where T : unmanaged where TCombine : IScatterCombine<T>;
}

internal static class ScatterKernels
{
    public static readonly string[] Reductions = ["none", "add", "mul", "max", "min"];

    /// <summary>"none" moves elements of any type; the reductions need arithmetic on the element type.</summary>
    public static IKernel Create<TFactory>(string reduction, DataType type, TFactory factory) where TFactory : IScatterKernelFactory
        => reduction == "none"
            ? Common.TypeDispatch.Move(type.SizeOf(), new Assign<TFactory>(factory))
            : Common.TypeDispatch.Number(type, new Reduce<TFactory>(factory, reduction));

    private readonly struct Assign<TFactory>(TFactory factory) : Common.IMoveKernelFactory where TFactory : IScatterKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged => factory.Create<T, AssignCombine<T>>();
    }

    private readonly struct Reduce<TFactory>(TFactory factory, string reduction) : Common.INumberKernelFactory where TFactory : IScatterKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, System.Numerics.INumber<T> => reduction switch
        {
            "add" => factory.Create<T, AddCombine<T>>(),
            "mul" => factory.Create<T, MulCombine<T>>(),
            "max" => factory.Create<T, MaxCombine<T>>(),
            _ => factory.Create<T, MinCombine<T>>(),
        };
    }
}
