// An ASP.NET Core minimal API in front of the shop's worker (samples/WorkerService): POST /orders publishes an order
// for the worker to save, GET /quote/{sku} asks the worker for a price over RPC, and /health says whether Warren is
// connected to the broker. Its settings are in appsettings.json.
using System;
using System.Threading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Warren;
using Warren.Samples;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
// appsettings.json leaves Warren:Uri unset, so the broker is $WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/.
// IPricing is declared in the contracts, not here, so its client is added by type (a project's generated
// AddWarrenRpcServices() adds clients of its own interfaces only); endpoints get it injected.
builder.Services.AddWarren(builder.Configuration.GetSection("Warren"))
    .AddRpcClient<IPricing>();
builder.Services.AddHealthChecks().AddWarrenHealthCheck();

WebApplication app = builder.Build();

app.MapPost("/orders", async (OrderRequest request, IPublisher publisher, CancellationToken cancellationToken) =>
{
    if (request.Quantity < 1)
    {
        return Results.Problem("The quantity must be at least 1.", statusCode: StatusCodes.Status400BadRequest);
    }

    var order = new OrderPlaced(Guid.NewGuid().ToString("N"), request.Sku, request.Quantity);
    // Returns once the broker has confirmed the order: from then on it waits for the worker even if this process dies.
    await publisher.PublishAsync(order, cancellationToken: cancellationToken);
    return Results.Accepted(value: order);
});

app.MapGet("/quote/{sku}", async (string sku, int? quantity, IPricing pricing, CancellationToken cancellationToken) =>
{
    if (quantity < 1)
    {
        return Results.Problem("The quantity must be at least 1.", statusCode: StatusCodes.Status400BadRequest);
    }

    try
    {
        return await pricing.QuoteAsync(sku, quantity ?? 1, cancellationToken) is { } quote
            ? Results.Ok(quote)
            : Results.Problem($"The shop does not sell '{sku}'.", statusCode: StatusCodes.Status404NotFound);
    }
    catch (TimeoutException)
    {
        // No worker answered within Warren:RpcClients:IPricing:Timeout.
        return Results.Problem("The pricing service did not answer in time.", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
});

app.MapHealthChecks("/health");

app.Run();

/// <summary>The body of POST /orders: <c>{ "sku": "apple", "quantity": 3 }</c>.</summary>
public sealed record OrderRequest(string Sku, int Quantity);

/// <summary>Public for the tests' <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
