using System.Diagnostics;

using MetaService.Core;
using MetaService.Server.Startup;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Tests.Startup;

/// <summary>Every settings problem as one line (<see cref="SettingsErrors.OneLine"/>), with the configuration binder's
/// own messages for values of the wrong type; anything else keeps its stack (null). And settings checked by their own
/// <see cref="ISettings.Problems"/> before the host starts (<see cref="SettingsRegistration.AddSettings{T}"/>).</summary>
public sealed class SettingsErrorsTests
{
    [Theory]
    [InlineData(nameof(Shapes.Whole), "x", "Shapes:Whole is 'x', which is not a valid whole number: give e.g. --Shapes:Whole 8")]
    [InlineData(nameof(Shapes.Big), "1.5", "Shapes:Big is '1.5', which is not a valid whole number: give e.g. --Shapes:Big 8")]
    [InlineData(nameof(Shapes.Count), "-1", "Shapes:Count is '-1', which is not a valid whole number: give e.g. --Shapes:Count 8")]
    [InlineData(nameof(Shapes.Real), "much", "Shapes:Real is 'much', which is not a valid number: give e.g. --Shapes:Real 8")]
    [InlineData(nameof(Shapes.MaybeReal), "much", "Shapes:MaybeReal is 'much', which is not a valid number: give e.g. --Shapes:MaybeReal 8")]
    [InlineData(nameof(Shapes.Span), "soon", "Shapes:Span is 'soon', which is not a valid duration: give e.g. --Shapes:Span 00:00:05")]
    [InlineData(nameof(Shapes.Flag), "yes", "Shapes:Flag is 'yes', which is not a valid true/false: give e.g. --Shapes:Flag true")]
    [InlineData(nameof(Shapes.Money), "lots", "Shapes:Money is 'lots', which is not a valid System.Decimal: give e.g. --Shapes:Money 8")]
    public void AValueOfTheWrongType_IsOneLine_NamingTheKey_WithAnExample(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Shapes:" + key, value)]).Build();

        var refused = Assert.Throws<InvalidOperationException>(() => configuration.GetSection("Shapes").Get<Shapes>());

        Assert.Equal("MetaService cannot start: " + expected, SettingsErrors.OneLine(refused));
        Assert.Equal("MetaService cannot start: " + expected, SettingsErrors.OneLine(new AggregateException(refused)));
    }

    [Fact]
    public void SettingsProblems_AreOneLine_TheirLinesJoined()
    {
        Assert.Equal("MetaService cannot start: a.json: first  second", SettingsErrors.OneLine(new SettingsException("a.json: first\n second")));
        Assert.Equal(
            "MetaService cannot start: Meta:A is wrong; Meta:B is wrong",
            SettingsErrors.OneLine(new OptionsValidationException("", typeof(Shapes), ["Meta:A is wrong", "Meta:B is wrong"])));
    }

    [Fact]
    public void AnAddressInUse_IsOneLine_SayingWhatToDo()
    {
        var bind = new IOException("Failed to bind to address http://127.0.0.1:31182: address already in use.", new AddressInUseException("Address in use"));

        Assert.Equal(
            "MetaService cannot start: Failed to bind to address http://127.0.0.1:31182: address already in use: another program listens there; stop it, or give another address with --urls",
            SettingsErrors.OneLine(bind));
    }

    [Fact]
    public void AnythingElse_KeepsItsStack()
    {
        Assert.Null(SettingsErrors.OneLine(new IOException("disk full")));
        Assert.Null(SettingsErrors.OneLine(new InvalidOperationException("Failed to convert something else")));
        Assert.Null(SettingsErrors.OneLine(new AggregateException(new SettingsException("a"), new SettingsException("b"))));
        Assert.Null(SettingsErrors.OneLine(new ArgumentException("a bug")));
    }

    [Fact]
    public void ValidateSettings_ChecksEverySettingsTypeNow_ByItsOwnProblems()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Configuration.AddInMemoryCollection([new("Checked:Whole", "-3")]);
        builder.Services.AddSettings<Checked>(builder.Configuration.GetSection("Checked"));
        builder.Services.AddSettings<Checked>(builder.Configuration.GetSection("Checked"));
        using var app = builder.Build();

        var refused = Assert.Throws<OptionsValidationException>(() => app.ValidateSettings());

        // One validator, however often the type is added.
        Assert.Equal(["Checked:Whole is -3: give 0 or more", "Checked:Whole must be even"], refused.Failures);
    }

    [Fact]
    public void ValidateSettings_PassesSettingsWithoutProblems()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Configuration.AddInMemoryCollection([new("Checked:Whole", "4")]);
        builder.Services.AddSettings<Checked>(builder.Configuration.GetSection("Checked"));
        using var app = builder.Build();

        Assert.Same(app, app.ValidateSettings());
        Assert.Equal(4, app.Services.GetRequiredService<IOptions<Checked>>().Value.Whole);
    }

    [Fact]
    public void AHostThatListensToTheHostingDiagnostics_RunsTheProgramInItsProcess()
    {
        using var host = DiagnosticListener.AllListeners.Subscribe(new HostingListener());

        Assert.True(SettingsErrors.HostedInProcess());
    }

    [Fact]
    public void Report_WritesTheLineToStandardError_AndAnswersExitCode1()
    {
        var before = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try
        {
            Assert.Equal(1, SettingsErrors.Report("MetaService cannot start: reported"));
        }
        finally
        {
            Console.SetError(before);
        }

        Assert.Contains("MetaService cannot start: reported" + Environment.NewLine, error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Listens to the hosting diagnostics, as a test host does to catch the host being built.</summary>
    private sealed class HostingListener : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    public sealed class Shapes
    {
        public int Whole { get; set; }

        public long Big { get; set; }

        public uint Count { get; set; }

        public double Real { get; set; }

        public double? MaybeReal { get; set; }

        public TimeSpan Span { get; set; }

        public bool Flag { get; set; }

        public decimal Money { get; set; }
    }

    public sealed class Checked : ISettings
    {
        public int Whole { get; set; }

        public IEnumerable<string> Problems()
        {
            if (Whole < 0)
            {
                yield return $"Checked:Whole is {Whole}: give 0 or more";
            }

            if (Whole % 2 != 0)
            {
                yield return "Checked:Whole must be even";
            }
        }
    }
}