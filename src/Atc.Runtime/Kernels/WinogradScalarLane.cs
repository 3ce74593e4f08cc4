using System.Runtime.CompilerServices;

namespace Atc.Runtime.Kernels;

/// <summary>
/// A one-float "vector" for the Winograd transforms: the channels past the last whole vector run through the same
/// generic transform code, one at a time, instead of a separate scalar copy of it.
/// </summary>
internal unsafe struct WinogradScalarLane : IFloatVector<float>
{
    public static int Count => 1;
    public static float Zero => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(float* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float v, float* p) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float x) => x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Clamp(float v, float min, float max) => MathF.Min(MathF.Max(v, min), max);
}
