namespace System.Runtime.CompilerServices
{
    // Lets netstandard2.0 use records (init accessors); the generator's models are records for value equality.
    internal static class IsExternalInit { }
}
