FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY contentgen ./contentgen
COPY apps ./apps
RUN pip install --no-cache-dir .
COPY . .
RUN pybabel compile --domain django --directory locale
USER nobody
