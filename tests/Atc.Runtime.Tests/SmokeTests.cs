namespace Atc.Tests;

public class SmokeTests
{
    [Fact]
    public void DataTypeSizes() => Assert.Equal(4, Atc.Runtime.DataTypes.SizeOf(Atc.Runtime.DataType.Float32));
}
