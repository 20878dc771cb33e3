FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY contentgen ./contentgen
COPY apps ./apps
RUN pip install --no-cache-dir .
# Only what the processes run: `COPY . .` would also bake a developer's .venv and
# var/ (a local database) into the image, as there is no .dockerignore.
COPY manage.py ./
COPY locale ./locale
RUN pybabel compile --domain django --directory locale
USER nobody
