# Image for the docker / kubernetes work pools (docs/deployment.md). Prefect's default pull
# step on those pools runs flows from /opt/prefect, so the project lives there.
FROM python:3.11-slim
WORKDIR /opt/prefect
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir uv==0.13.9 \
 && uv pip install --system --no-cache -r requirements.lock
COPY . .
RUN uv pip install --system --no-cache --no-deps -e .
# Several workers write at once in production: use the DuckLake target (catalog + data path
# come from the environment of the work pool, e.g. a PostgreSQL catalog and object storage).
ENV GOVREPORTS_WAREHOUSE_TARGET=ducklake \
    PREFECT_SERVER_ANALYTICS_ENABLED=false
