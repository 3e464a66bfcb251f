// "Use my location": fill the near field from the tablet's position, then search.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-fill-location]");
  if (!button || !navigator.geolocation) return;
  const field = document.getElementById(button.dataset.fillLocation);
  button.disabled = true;
  navigator.geolocation.getCurrentPosition(
    (position) => {
      field.value = `${position.coords.latitude.toFixed(5)}, ${position.coords.longitude.toFixed(5)}`;
      button.disabled = false;
      field.form.requestSubmit();
    },
    () => { button.disabled = false; },
    { timeout: 10000 },
  );
});
