namespace Atc.TestModels;

internal static class Placeholder { }
