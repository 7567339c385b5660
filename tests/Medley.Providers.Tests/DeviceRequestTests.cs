using Medley.Host.Runtime.Devices;
using Medley.Sdk;

namespace Medley.Providers.Tests;

public class DeviceRequestTests
{
    [Theory]
    [InlineData("auto", null, 0, "auto")]
    [InlineData("cpu", "cpu", 0, "cpu:0")]
    [InlineData("cuda", "cuda", 0, "cuda:0")]
    [InlineData("cuda:0", "cuda", 0, "cuda:0")]
    [InlineData("cuda:3", "cuda", 3, "cuda:3")]
    [InlineData("dml:1", "dml", 1, "dml:1")]
    [InlineData(" CUDA:12 ", "cuda", 12, "cuda:12")]
    [InlineData("rocm", "rocm", 0, "rocm:0")]
    public void Parses_auto_and_type_with_optional_index(string text, string? type, int index, string canonical)
    {
        var request = DeviceRequest.Parse(text);

        Assert.Equal(type, request.DeviceType);
        Assert.Equal(index, request.Index);
        Assert.Equal(type is null, request.IsAuto);
        Assert.Equal(canonical, request.ToString());
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("   ", "it is empty")]
    [InlineData("cuda:", "the device index after ':' must be a whole number of 0 or more, not ''")]
    [InlineData("cuda:x", "the device index after ':' must be a whole number of 0 or more, not 'x'")]
    [InlineData("cuda:-1", "the device index after ':' must be a whole number of 0 or more, not '-1'")]
    [InlineData("cuda:+1", "the device index after ':' must be a whole number of 0 or more, not '+1'")]
    [InlineData("cuda:1:2", "the device index after ':' must be a whole number of 0 or more, not '1:2'")]
    [InlineData("cuda:99999999999", "the device index after ':' must be a whole number of 0 or more, not '99999999999'")]
    [InlineData("auto:1", "'auto' takes no device index")]
    [InlineData(":0", "'' is not a device type (letters, digits, '_' and '-', starting with a letter)")]
    [InlineData("0", "'0' is not a device type (letters, digits, '_' and '-', starting with a letter)")]
    [InlineData("gpu 0", "'gpu 0' is not a device type (letters, digits, '_' and '-', starting with a letter)")]
    public void Rejects_bad_syntax_saying_what_is_wrong(string text, string why)
    {
        var error = Assert.Throws<MedleyException>(() => DeviceRequest.Parse(text));

        Assert.Equal("device.invalid", error.Code);
        Assert.Equal(MedleyErrorKind.Usage, error.Kind);
        Assert.Equal(
            $"--device '{text}' is not valid: {why}. Expected auto, cpu, cuda[:N] or dml[:N] (N the device index, default 0).",
            error.Message);
    }

    [Fact]
    public void Null_is_rejected_like_empty()
    {
        var error = Assert.Throws<MedleyException>(() => DeviceRequest.Parse(null));

        Assert.Equal("device.invalid", error.Code);
        Assert.Contains("it is empty", error.Message, StringComparison.Ordinal);
    }
}
