// A worker service, as `dotnet new worker` makes one, running the shop's back end on Warren: it saves the orders that
// samples/WebApi publishes and answers its price requests. Its settings are in appsettings.json. It runs until Ctrl+C
// (or SIGTERM); then it stops taking messages, lets the ones in hand finish, and exits.
using Microsoft.Extensions.Hosting;
using Warren.Samples.WorkerService;

IHost host = ShopWorker.CreateBuilder(args).Build();
await host.RunAsync();
