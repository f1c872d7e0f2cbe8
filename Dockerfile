# syntax=docker/dockerfile:1
# IncidentBot: build with the SDK, run on the ASP.NET runtime image as the non-root user "app" (uid 1654).
# docker build -t incidentbot . && docker run --env-file .env -p 8080:8080 -v incidentbot-data:/app/data incidentbot

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
COPY appsettings.json ./
COPY manifests/runbooks/ manifests/runbooks/
# The publish output carries appsettings.json and manifests/runbooks (content items of src/IncidentBot).
RUN dotnet publish src/IncidentBot/IncidentBot.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# Incidents, reports and logs live under data/: a volume, owned by the unprivileged user.
RUN mkdir -p /app/data && chown app:app /app/data
VOLUME ["/app/data"]
USER app
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1
EXPOSE 8080
# The image has no curl: the bot asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["dotnet", "IncidentBot.dll", "healthcheck", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["dotnet", "IncidentBot.dll"]
