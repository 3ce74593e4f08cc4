using System.Numerics;
using System.Numerics.Tensors;

namespace Atc.Runtime.Operators.Elementwise.Binary;

internal readonly struct EqualOp<T> : IScalarBinaryOp<T, bool> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a == b;
}

internal readonly struct LessOp<T> : IScalarBinaryOp<T, bool> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a < b;
}

internal readonly struct LessOrEqualOp<T> : IScalarBinaryOp<T, bool> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a <= b;
}

internal readonly struct GreaterOp<T> : IScalarBinaryOp<T, bool> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a > b;
}

internal readonly struct GreaterOrEqualOp<T> : IScalarBinaryOp<T, bool> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a >= b;
}

// Booleans are stored as bytes 0/1, so the logical ops are bitwise ops on bytes.

internal readonly struct AndOp : IBinaryOp<byte, byte>
{
    public static void VecVec(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> d) => TensorPrimitives.BitwiseAnd(a, b, d);
    public static void VecScalar(ReadOnlySpan<byte> a, byte b, Span<byte> d) => TensorPrimitives.BitwiseAnd(a, b, d);
    public static void ScalarVec(byte a, ReadOnlySpan<byte> b, Span<byte> d) => TensorPrimitives.BitwiseAnd(b, a, d);
}

internal readonly struct OrOp : IBinaryOp<byte, byte>
{
    public static void VecVec(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> d) => TensorPrimitives.BitwiseOr(a, b, d);
    public static void VecScalar(ReadOnlySpan<byte> a, byte b, Span<byte> d) => TensorPrimitives.BitwiseOr(a, b, d);
    public static void ScalarVec(byte a, ReadOnlySpan<byte> b, Span<byte> d) => TensorPrimitives.BitwiseOr(b, a, d);
}

internal readonly struct XorOp : IBinaryOp<byte, byte>
{
    public static void VecVec(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> d) => TensorPrimitives.Xor(a, b, d);
    public static void VecScalar(ReadOnlySpan<byte> a, byte b, Span<byte> d) => TensorPrimitives.Xor(a, b, d);
    public static void ScalarVec(byte a, ReadOnlySpan<byte> b, Span<byte> d) => TensorPrimitives.Xor(b, a, d);
}
