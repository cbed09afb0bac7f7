from examples.shop.services._engine import main
from examples.shop.services.notifications import SPEC

main(SPEC)
